"""What db-check and db-verify judge: the models against the migrations (``drift``), and the
database against its revision files (``integrity``)."""
