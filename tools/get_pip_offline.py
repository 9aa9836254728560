"""Offline stand-in for ansible-test's pip bootstrap script (get_pip_<version>.py).

ansible-test downloads this bootstrap for each of its virtual environments unless it finds
it in ~/.ansible/test/cache; the download host is not reachable from air-gapped machines.
ansible-test runs it inside a fresh ``python -m venv --without-pip`` with arguments such as
``--disable-pip-version-check pip==25.2 [--no-setuptools] [--no-wheel]``. This version
bootstraps pip from the interpreter's bundled ensurepip wheel, then lets that pip install
what was asked from the configured package index.
"""
import subprocess
import sys


def main():
    argv = sys.argv[1:]
    args = [a for a in argv if a not in ("--no-setuptools", "--no-wheel")]
    if "--no-setuptools" not in argv:
        args.append("setuptools")
    if "--no-wheel" not in argv:
        args.append("wheel")
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)


if __name__ == "__main__":
    main()
