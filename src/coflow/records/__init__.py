"""The co-production records: participants, sessions, payments, evidence, feedback,
sign-offs and the suitability assessment.

`reducers` says how each record event changes a project's state; importing this package
registers them with coflow.project (the engine does, before it folds). The other modules
are the service layer the command line calls, one module per kind of record, each writing
through `ProjectWriter.change` (coflow.writer) so input is checked against the locked, current project.
Kept light: only the reducers load with it.
"""

from coflow.records import reducers as reducers
