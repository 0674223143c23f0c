"""A cold ``handouts make`` does only the work its handout needs.

Run twice in fresh processes with one cache folder: the second run takes the library,
the wording and the placeholder templates from the cache, imports no other command's
module, no YAML parser and no pydantic (Typer would build a pydantic adapter per
option), and compiles no template. Its speed is measured in ``bench/run.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, sys
import jinja2.environment

compiled = []
compile_ = jinja2.environment.Environment.compile
def counting(self, *args, **kwargs):
    compiled.append(1)
    return compile_(self, *args, **kwargs)
jinja2.environment.Environment.compile = counting

sys.argv = ["handouts", "make", "-s", "numb-legs", "-s", "swollen-feet", "--name", "Ana",
            "--weeks", "31", "-o", sys.argv[1]]
from handouts.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps({"modules": sorted(sys.modules), "compiled": len(compiled)}))
"""


def _make(tmp_path, cache) -> dict:
    env = {"HANDOUTS_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "a.pdf")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_second_make_takes_everything_it_can_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = _make(tmp_path, cache)
    assert first["compiled"] > 0
    assert list(cache.glob("templates-*/*.jinja")), "compiled templates are kept"
    second = _make(tmp_path, cache)
    modules = set(second["modules"])
    assert second["compiled"] == 0
    assert "yaml" not in modules and "handouts.schema" not in modules
    assert not any(m == "pydantic" or m.startswith("pydantic.") for m in modules)
    others = {"handouts.cli.batch", "handouts.cli.serve", "handouts.cli.check"}
    assert not modules & others
    assert "handouts.web" not in modules and "starlette" not in modules
