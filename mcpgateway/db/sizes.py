"""Column sizes the models and the revisions share; no SQLAlchemy ORM import, so a revision
(and ``mcpgateway.db.helpers``) can use them without loading the models."""

UUID_LENGTH = 36  # a UUID as text: the portable primary key
