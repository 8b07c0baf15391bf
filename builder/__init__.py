"""vanban: build the public document portal of a People's Committee from committed letters.

The pipeline, one subpackage per stage (ARCHITECTURE.md):
text (bytes to canonical text) -> letters (text to a Letter: parser, rules,
registries, checks, Markdown) -> archive (all letters, read, linked and checked)
-> search (analyzer, ranking, whoosh and the browser index) -> publish (pages,
open data, feeds, the built site). staff/ holds the staff's tools; cli.py and
mkdocs_plugin.py are the two thin entry points.
"""
