"""Small rule modules the parser (``builder.letters.parsing``) calls, one form of real documents each.

The parser grew on the seeds' Markdown export; real documents arrive as Word
plain text, table-pipe web dumps, PDF extracts and one-line copies. Each
module here reads one kind of thing in all the forms it comes in, so that a
new form means one new or fixed function in one module (the way
markdown-it-py keeps its block rules apart):

* ``number``: the number and symbol line (``Số: 04/2013/QĐ-UBND``, ``55-BT``);
* ``layout``: cells and lines an export split or glued (pipes, wraps, two columns on one line);
* ``title``: the type line and the subject under it;
* ``plausible``: checks a value must pass before it is published.
"""
