"""Reports people read: the analysis and recovery HTML pages and the generated parts of the documentation."""
