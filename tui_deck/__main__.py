from tui_deck.cli import main

raise SystemExit(main())
