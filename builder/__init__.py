"""vanban: build the public document portal of a People's Committee from committed letters.

The pipeline, one module per stage:
decoding (bytes to text) -> parsing (text to a Letter) -> archive (all letters,
linked and checked) -> markdown_out (normalized Markdown) -> search index
(whoosh and the static browser index) -> site (MkDocs pages, lists, open data).
"""
