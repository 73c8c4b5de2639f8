"""The H200 export tracker's app modules: pages import these; these import the database."""
