"""The app's screens, one per module; the app opens them by name (see ``grader.tui.app.SCREENS``)."""
