"""/privacy: what the bot stores about a person, a copy of it, and deleting it.

`cog.py` is Discord in and out (/privacy info, mydata, delete and the delete
buttons); `export.py` builds the JSON document of /privacy mydata; `render.py`
the answers; `text.py` the msgids. The member key comes from the metoo
feature's public API. Others may use only BACKUP_DAYS (`python -m bot backup`
repeats it).
"""

__all__: list[str] = ["BACKUP_DAYS"]

# The longest an operator should keep a backup of the database: deleted records
# stay in a backup until it expires, and /privacy info tells people this figure.
BACKUP_DAYS = 30
