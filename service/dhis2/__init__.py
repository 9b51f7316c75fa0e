"""The indicators as DHIS2 data values: the report's queries per place, then check, export, push."""
