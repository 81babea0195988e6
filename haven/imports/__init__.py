"""Imports from other platforms (TikTok, Instagram data exports): for now, the parsing layer only.

`haven.imports.parsing` reads an uploaded export (the ZIP as downloaded, an extracted folder, or one
extracted JSON/TXT file) into a typed, normalised `ParsedExport` plus a report of what was skipped.
Nothing here stores anything yet: there are no models, so no personal-data registration is needed
until the import lifecycle (uploaded -> parsing -> review -> importing -> done | failed) lands.
"""
