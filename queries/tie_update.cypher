// Overwrite stored properties of existing ties (ends never change); row = {id, props}.
UNWIND $rows AS row
MATCH ()-[r:TIE {id: row.id}]->()
SET r += row.props
RETURN count(r) AS written
