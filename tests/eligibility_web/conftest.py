import sys
from pathlib import Path

# selfcheck_helpers.py lives beside this file; importlib mode does not add it to the path.
sys.path.insert(0, str(Path(__file__).parent))
