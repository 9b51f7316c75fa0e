"""Outreach as data: the rules' configuration (`config`), their words (`texts`) and the
sending window (`window`: quiet hours, weekend, holidays). Pure; imports only `schemas`."""
