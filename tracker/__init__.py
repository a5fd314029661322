"""The recommendation tracker: statuses, users and the audit trail, kept in instance/tracker.db.

Nothing here is ever rebuilt: a rebuild of the reviews database must not lose a board's record
of what was done about a recommendation. See tracker/README.md.
"""
