import tests.notifications.kinds  # noqa: F401 - registers the test kinds
