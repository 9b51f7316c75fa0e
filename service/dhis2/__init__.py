"""The indicators as DHIS2 data values: the report's queries per place, then check, export, push.

The room's rule: the glue between the report's indicator queries (`service.reports`) and
the pure DHIS2 shapes (`schemas.dhis2`) and I/O (`workers.dhis2`: mapping file, HTTP push,
audit). May import `service.reports`, `workers` and `schemas`; never Flask.
"""
