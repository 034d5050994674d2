"""The co-production records: participants, sessions, payments, evidence, feedback,
sign-offs and the suitability assessment.

`reducers` says how each record event changes a project's state; `builtin` registers those
kinds of record (with the core's own event types) through the coflow_register_records hook,
as every plugin's record kinds are. The other modules are the service layer the command line
calls, one module per kind of record, each writing through `ProjectWriter.change`
(coflow.writer) so input is checked against the locked, current project.
Importing this package loads nothing and registers nothing.
"""
