"""One router per resource: health, index, sparql, questions (REST), resources (IRIs)."""
