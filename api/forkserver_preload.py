"""Imported by the query workers' forkserver only (execution.py names it in its preload list):
loads the store every worker is forked with (zygote.py). Nothing else imports it."""

from . import zygote

zygote.preload()
