"""placeholder"""

READ_DEADLINE_SECONDS = 10.0
