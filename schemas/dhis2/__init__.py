"""DHIS2 shapes, pure: the mapping file, period ids, data values and the export formats.

May import only the standard library and other `schemas` modules (no I/O, clock or env).
"""
