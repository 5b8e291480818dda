"""`python -m app`: the app, as `fosp-studio` and `python main.py` start it (`app.main.main`)."""

from app.main import main

raise SystemExit(main())
