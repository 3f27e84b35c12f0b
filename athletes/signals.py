"""What athletes/ tells the apps built on it, so that it needs none of them.

``athletes/`` imports nothing from ``sessions/``. When a roster change may cost athletes a
coach (``actions.move_athlete``, ``actions.import_roster``), the coach's blocks must let them go;
``sessions`` knows about blocks, so it connects a receiver to ``coaches_changed`` (in
``sessions/signals.py``) instead of ``athletes`` calling into ``sessions``. The signal is sent
inside the transaction of the change, with ``athletes`` (their pks); each receiver returns a
list of what it did (the blocks the athletes left, which the roster page names).

Saves from elsewhere (the Django admin, a shell) are caught by ``sessions/signals.py``'s
``post_save`` and ``m2m_changed`` receivers as well, when the transaction commits.
"""

from django.dispatch import Signal

coaches_changed = Signal()
