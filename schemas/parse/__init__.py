"""Parse: text + sender + received time -> ParseResult (a Command, or the errors that stop it).

The room's rule: pure functions over the catalog (`commands.toml`), the gazetteer and the
text rules; no I/O beyond reading the shipped data files once, no clock, no environment.
`read` is the entry point (strict reading, then the forgiving rewrite of `lenient`);
`fields` and `readers` read the event and survivor shapes; `catalog` and `words` load the
keyword tables; `canonical` writes a Command back as the text that parses to it.
Imports only `schemas` modules outside this folder.
"""

from schemas.parse.read import Context, Sender, load_context, parse

__all__ = ["Context", "Sender", "load_context", "parse"]
