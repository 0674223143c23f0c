// The live summary: after each change, ask the server what the handout will hold.
// No framework; the page works without this script (the summary is then the one
// the server rendered with the page).
"use strict";

(function () {
  const form = document.getElementById("form");
  const summary = document.getElementById("summary");
  const errors = document.getElementById("error-summary");
  if (errors) errors.focus();
  if (!form || !summary) return;
  let timer = null;
  let asked = 0;

  function problemsList(problems) {
    const list = document.createElement("ul");
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem.message;
      list.appendChild(item);
    }
    const intro = document.createElement("p");
    intro.textContent = "Check these fields first:";
    return [intro, list];
  }

  async function refresh() {
    const mine = ++asked;
    const response = await fetch("/summary", {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok || mine !== asked) return;
    const answer = await response.json();
    if (answer.problems.length) {
      summary.replaceChildren(...problemsList(answer.problems));
    } else {
      summary.innerHTML = answer.html; // rendered and escaped by the server's template
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(() => refresh().catch(() => {}), 250);
  }

  // "change", not "input": a text field asks once it is left, not at every key
  // (each answer fits the handout to its pages, which takes a few renders).
  form.addEventListener("change", later);
})();
