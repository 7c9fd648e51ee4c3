"""The analysis stage: sentences, entities, dates, numbers and quotes of each
article, and what a story's sources share (canonical entities, a timeline)."""
