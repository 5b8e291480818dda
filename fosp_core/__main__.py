from fosp_core.cli import main

raise SystemExit(main())
