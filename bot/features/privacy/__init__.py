"""/privacy: what the bot stores about a person, a copy of it, and deleting it.

`cog.py` is Discord in and out (/privacy info, mydata, delete and the delete
buttons); `export.py` builds the JSON document of /privacy mydata; `render.py`
the answers; `text.py` the msgids. The member key comes from the metoo
feature's public API. /privacy offers nothing to other features.
"""

__all__: list[str] = []
