"""Run every benchmark module in this folder (or those named on the command line)."""
import importlib
import pkgutil
import sys

import benchmarks


def main(names):
    modules = names or sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    for name in modules:
        print(f"== {name}")
        importlib.import_module(f"benchmarks.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
