"""Launch FoSp Studio: python main.py [image|folder|dataset ...] [--screenshot OUT.png]."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
