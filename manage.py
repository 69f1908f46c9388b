#!/usr/bin/env python
from fasthold.cli import main

if __name__ == "__main__":
    main()
