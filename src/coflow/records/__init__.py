"""The co-production records: participants, sessions, payments, evidence, feedback,
sign-offs and the suitability assessment.

`reducers` says how each record event changes a project's state (imported by
coflow.project, so every fold knows them); the other modules are the service layer the
command line calls, one module per kind of record, each writing through
`Engine.change` so input is checked against the locked, current project.
Kept empty of imports: coflow.project loads this package on every command.
"""
