"""One migration run: the checks before any change (``preflight``), the migration lock
(``lock``), the ledger of applied revisions (``ledger``, ``checksum``), lock and statement
timeouts (``timeouts``), the run itself (``migrate``), and the at-head answer (``at_head``)."""
