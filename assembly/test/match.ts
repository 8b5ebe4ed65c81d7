// Matching primitive test exports (see assembly/match/, assembly/text/, assembly/regex/).
