"""Parse: text + sender + received time -> ParseResult (a Command, or the errors that stop it).

The room's rule: pure functions over the catalog (`commands.toml`), the gazetteer and the
text rules; no I/O beyond reading the shipped data files once, no clock, no environment.
`read` is the entry point (strict reading, then the forgiving rewrite of `lenient`);
`fields` and `readers` read the event and survivor shapes (`counts` checks an event's
sums); `catalog` loads and validates the keyword tables into `index`'s Catalog, `words`
the reading words; `canonical` writes a Command back as the text that parses to it.
Imports only `schemas` modules outside this folder.
"""

from schemas.parse.read import Context, Sender, load_context, parse

__all__ = ["Context", "Sender", "load_context", "parse"]
