-- Migration 9: working copies, text an operator is editing and has not saved yet.
--
-- The console writes the fields being edited here a few seconds after the last key
-- (the apology, the assessment, the internal statement, a form), so a crash or a
-- dropped SSH connection loses nothing: the next session offers the text back. A row
-- is one operator's scratch copy of one thing (the slot) of one incident; it is
-- replaced as the text changes and deleted once saved or discarded. It is not a fact
-- of the incident, so it has no event (see core/store/working.py).

CREATE TABLE working_copies (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    operator    TEXT NOT NULL,
    slot        TEXT NOT NULL,
    label       TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    base        TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL,
    PRIMARY KEY (incident_id, operator, slot)
);
