"""The supervisor with real processes: restarts, give-up, ordered stop that leaves nothing behind."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack import procs
from devstack.supervisor import ProcessSpec, ProcessState, RestartPolicy, Supervisor

FAST = RestartPolicy(initial_delay_s=0.05, max_delay_s=0.2, min_uptime_s=1.0, max_instant_crashes=3)


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


SLEEPER = py("import time; time.sleep(120)")


def wait_for(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def printed_ready(log: Path) -> bool:
    return "ready" in log.read_text().splitlines()


@pytest.fixture
def events() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def make_supervisor(tmp_path: Path, events: list[tuple[str, str]]) -> Iterator[Callable[..., Supervisor]]:
    created: list[Supervisor] = []

    def make(specs: list[ProcessSpec], policy: RestartPolicy = FAST) -> Supervisor:
        supervisor = Supervisor(
            specs,
            log_dir=tmp_path / "logs",
            policy=policy,
            on_event=lambda name, msg: events.append((name, msg)),
            poll_interval_s=0.02,
        )
        created.append(supervisor)
        return supervisor

    yield make
    for supervisor in created:
        supervisor.stop()


def test_restarts_a_process_that_dies(make_supervisor: Callable[..., Supervisor]) -> None:
    supervisor = make_supervisor([ProcessSpec("sleeper", SLEEPER)])
    supervisor.start()
    first = supervisor.pid("sleeper")
    assert first is not None

    os.kill(first, signal.SIGKILL)

    wait_for(lambda: supervisor.pid("sleeper") not in (None, first))
    (info,) = supervisor.info()
    assert info.state is ProcessState.RUNNING
    assert info.restarts == 1
    assert info.last_exit == -signal.SIGKILL


def test_gives_up_after_repeated_instant_crashes(
    make_supervisor: Callable[..., Supervisor], events: list[tuple[str, str]]
) -> None:
    supervisor = make_supervisor([ProcessSpec("crasher", py("raise SystemExit(3)"))])
    supervisor.start()

    wait_for(lambda: supervisor.info()[0].state is ProcessState.FAILED)
    (info,) = supervisor.info()
    assert info.restarts == FAST.max_instant_crashes - 1
    assert info.last_exit == 3
    assert any("giving up" in message for name, message in events if name == "crasher")
    # A failed process is reported at once by wait_ready instead of being waited for.
    assert "crasher" in supervisor.wait_ready(timeout_s=5)


def test_back_off_grows_and_is_capped() -> None:
    policy = RestartPolicy(initial_delay_s=0.5, max_delay_s=4.0)
    assert [policy.delay(n) for n in range(7)] == [0.5, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_missing_program_counts_as_a_crash(make_supervisor: Callable[..., Supervisor]) -> None:
    supervisor = make_supervisor([ProcessSpec("ghost", ["/nonexistent/program"])])
    supervisor.start()
    wait_for(lambda: supervisor.info()[0].state is ProcessState.FAILED)


def test_stop_goes_in_reverse_order_and_leaves_no_process(
    make_supervisor: Callable[..., Supervisor], tmp_path: Path
) -> None:
    order_file = tmp_path / "order"
    # Each process records its SIGTERM, and leaves a grandchild in its group that must go too.
    program = (
        "import signal, subprocess, sys, time\n"
        "subprocess.Popen(['sleep', '120'])\n"
        "def bye(*_):\n"
        f"    open({str(order_file)!r}, 'a').write(sys.argv[1] + '\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, bye)\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"
    specs = [
        ProcessSpec("first", [sys.executable, "-c", program, "first"]),
        ProcessSpec("second", [sys.executable, "-c", program, "second"]),
        ProcessSpec("stubborn", py(stubborn), grace_s=0.5),
    ]
    supervisor = make_supervisor(specs)
    supervisor.start()
    logs = tmp_path / "logs"
    wait_for(lambda: all(printed_ready(logs / f"{n}.log") for n in ("first", "second")))
    wait_for(lambda: all(len(procs.group_members(i.pid or 0)) >= 1 for i in supervisor.info()))
    groups = [i.pid for i in supervisor.info()]
    assert all(len(procs.group_members(g or 0)) == 2 for g in groups[:2])  # each has its grandchild

    started = time.monotonic()
    supervisor.stop()

    assert time.monotonic() - started < 8
    assert order_file.read_text().split() == ["second", "first"]
    for pgid in groups:
        assert pgid is not None
        assert procs.group_members(pgid) == []
    assert {i.state for i in supervisor.info()} == {ProcessState.STOPPED}


def test_no_restart_once_stopping(make_supervisor: Callable[..., Supervisor]) -> None:
    supervisor = make_supervisor([ProcessSpec("sleeper", SLEEPER)])
    supervisor.start()
    pid = supervisor.pid("sleeper")
    supervisor.stop()
    time.sleep(0.2)
    assert pid is not None
    assert not procs.pid_alive(pid)
    assert supervisor.info()[0].pid is None


def test_forwards_signals_to_the_children(make_supervisor: Callable[..., Supervisor], tmp_path: Path) -> None:
    marker = tmp_path / "usr1"
    program = (
        "import signal, time\n"
        f"signal.signal(signal.SIGUSR1, lambda *_: open({str(marker)!r}, 'w').write('got it'))\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    supervisor = make_supervisor([ProcessSpec("listener", py(program))])
    supervisor.start()
    wait_for(lambda: printed_ready(tmp_path / "logs" / "listener.log"))

    supervisor.send_signal(signal.SIGUSR1)

    wait_for(marker.exists)
    assert supervisor.info()[0].state is ProcessState.RUNNING


def test_wait_ready_polls_the_ready_url(make_supervisor: Callable[..., Supervisor], tmp_path: Path) -> None:
    port = procs.free_port()
    server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(tmp_path)]
    supervisor = make_supervisor(
        [ProcessSpec("web", server, ready_url=f"http://127.0.0.1:{port}/"), ProcessSpec("plain", SLEEPER)]
    )
    supervisor.start()
    assert supervisor.wait_ready(timeout_s=15) == {}


def test_wait_ready_reports_what_never_answers(make_supervisor: Callable[..., Supervisor]) -> None:
    port = procs.free_port()
    supervisor = make_supervisor([ProcessSpec("mute", SLEEPER, ready_url=f"http://127.0.0.1:{port}/")])
    supervisor.start()
    not_ready = supervisor.wait_ready(timeout_s=0.5)
    assert list(not_ready) == ["mute"]


def test_names_must_be_unique(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unique"):
        Supervisor([ProcessSpec("a", SLEEPER), ProcessSpec("a", SLEEPER)], log_dir=tmp_path)
