"""``handouts serve`` as a real server process: addresses, warnings and logs."""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from servers import start, stop
from typer.testing import CliRunner

from handouts.cli import app

runner = CliRunner()


def post(port: int, fields: dict, origin: bool = True) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    url = f"http://127.0.0.1:{port}/handout"
    headers = {"Origin": f"http://127.0.0.1:{port}"} if origin else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_network_needs_allow_network():
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "add --allow-network" in " ".join(result.stderr.split())


def test_a_port_in_use_is_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output


def test_serving_the_network_warns_and_still_refuses_foreign_names():
    process, port = start("--host", "0.0.0.0", "--allow-network")
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Host": f"evil.example:{port}"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 421
    finally:
        _, err = stop(process)
    assert "Warning: listening on 0.0.0.0: anyone on this network can open the page" in err


def test_the_server_logs_no_patient_data_and_writes_nothing(tmp_path):
    work, temp = tmp_path / "work", tmp_path / "temp"
    work.mkdir(), temp.mkdir()
    process, port = start(cwd=work, env={**os.environ, "TMPDIR": str(temp)})
    fields = {"symptoms": ["numb-legs"], "name": "Zelda Quartz", "notes": "secret-note"}
    try:
        status, pdf = post(port, fields)
        assert status == 200 and pdf.startswith(b"%PDF-")
        assert post(port, {**fields, "weeks": "99"})[0] == 422
        assert post(port, fields, origin=False)[0] == 403
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?name=Zelda", timeout=10) as r:
            assert r.status == 200
    finally:
        out, err = stop(process)
    assert out.startswith(f"Handouts page: http://127.0.0.1:{port}/")
    assert "Zelda" not in out + err and "secret-note" not in out + err
    assert "GET /" not in err  # no access log
    assert list(work.iterdir()) == [] and list(temp.iterdir()) == []
