"""Running one function over many items in forked worker processes, results in order.

For commands that check many files in one call (``email-crisis lint *.eml`` in a CI
job): the parent prepares everything that is shared (word lists compiled, modules
imported), then forks; the children inherit it instead of building it again. Each
process, the parent included, takes the next item from a queue (a pipe holding item
numbers, so a slow item does not hold the others back) and the children send their
results back pickled. The results come back in the items' order, whatever order they
were computed in.

Nothing here changes what a command prints: a child that fails in any way (an exception,
a signal, a result that cannot be read) has its items done again by the parent, so the
error, if any, is raised where a single process would raise it. Forking is used only
where it is safe: a POSIX system other than macOS (whose system libraries do not
support fork without exec), and a parent with no other thread running (a thread could
hold a lock the child would wait on forever).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_TOKEN = 4  # bytes per queued item number
_MAX_TOKENS = 1024  # 4 KB of numbers: fits in the smallest pipe buffer Linux gives


def cpus() -> int:
    """How many CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked safely from this process."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def run(work: Callable[[int], T], count: int, jobs: int) -> list[T]:
    """``[work(0), ..., work(count - 1)]``, computed by up to ``jobs`` processes.

    ``work`` must be deterministic and its result picklable. One item, one job, or a
    process that cannot fork safely: everything runs here, in order.
    """
    jobs = min(jobs, count)
    if jobs < 2 or not can_fork():
        return [work(i) for i in range(count)]
    block = -(-count // _MAX_TOKENS)  # items per queued number
    queue_read, queue_write = os.pipe()
    starts = range(0, count, block)
    os.write(queue_write, b"".join(s.to_bytes(_TOKEN, "little") for s in starts))
    os.close(queue_write)  # an empty queue now reads as end of file
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not write out what the parent had buffered
    children: list[tuple[int, int]] = []
    done: dict[int, T] = {}
    try:
        for _ in range(jobs - 1):
            result_read, result_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: work, send the results, leave without cleanup
                os.close(result_read)
                _child(work, count, block, queue_read, result_write)
            os.close(result_write)
            children.append((pid, result_read))
        for start in _queued(queue_read):
            for i in range(start, min(start + block, count)):
                with contextlib.suppress(Exception):  # done again below, in order
                    done[i] = work(i)
        for pid, result_read in children:
            done.update(_collect(pid, result_read))
        children.clear()
    finally:
        os.close(queue_read)
        for pid, result_read in children:  # interrupted: stop the others
            _stop(pid, result_read)
    # Items that failed (here or in a child) are done again in order: the first to fail
    # raises what it raises when one process checks everything.
    return [done[i] if i in done else work(i) for i in range(count)]


def _queued(queue_read: int) -> Iterator[int]:
    """The next item numbers from the queue, one at a time, until it is empty."""
    while True:
        token = os.read(queue_read, _TOKEN)
        if len(token) < _TOKEN:
            return
        yield int.from_bytes(token, "little")


def _child(work: Callable[[int], T], count: int, block: int, queue: int, out: int) -> None:
    import pickle  # here and in _collect: one file checked never needs it

    code = 0
    try:
        results: dict[int, T] = {}
        try:
            for start in _queued(queue):
                for i in range(start, min(start + block, count)):
                    results[i] = work(i)
        except Exception:  # the parent does this item and the rest again, and raises
            code = 1
        data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _collect(pid: int, result_read: int) -> dict[int, T]:
    import pickle

    chunks = []
    try:
        while chunk := os.read(result_read, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(result_read)
        os.waitpid(pid, 0)
    try:
        found = pickle.loads(b"".join(chunks))
    except Exception:  # a child that died mid-write: its items are done again
        return {}
    return found if isinstance(found, dict) else {}


def _stop(pid: int, result_read: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except OSError:
        pass
    finally:
        os.close(result_read)
