"""Tools for staff: a new letter from the template, Word import, precompressing the built site."""
