"""The email-crisis domain: the six-step response, its store and its shared base.

Nothing in this package imports Textual; the terminal face lives in ``email_crisis.tui``.
One package per step of the response; each holds its logic, its store functions
(``<step>/store.py``: the only SQL outside ``store/``) and its migrations
(``<step>/migrations/NNN_*.sql``, read by the store as data).

Which package may import which (lowest first; a package may also import itself).
``tests/test_import_layers.py`` reads these lines and fails on any other import, and
on any import cycle between modules:

    base     ->
    store    -> base
    own      -> store, base
    contain  -> own, store, base
    assess   -> contain, own, store, base
    plan     -> assess, contain, own, store, base
    notify   -> plan, assess, contain, own, store, base
    monitor  -> notify, plan, assess, contain, own, store, base
    steps    -> monitor, notify, plan, assess, contain, own, store, base
    close    -> steps, monitor, notify, plan, assess, contain, own, store, base
    demo     -> close, steps, monitor, notify, plan, assess, contain, own, store, base

A step may use the steps before it, never one after it: Notify reads Assess's apology
lock; Assess does not know Notify exists. ``steps`` is the step machine: it runs every
step's completion checks (``<step>/criteria.py``), so it sits above all six; the store
calls it at the end of each write through a function the machine installs
(``steps.machine.install``), never by importing it. ``close`` looks back on every step,
and ``demo`` replays whole incidents through all of them.
"""
