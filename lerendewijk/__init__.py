"""lerendewijk: from transcripts of story tables and neighbourhood walks to the lerende-wijk cycle."""

__version__ = "0.1.0"
