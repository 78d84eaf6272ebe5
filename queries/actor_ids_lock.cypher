// Serialise id generation: take the write lock of a counter node before looking for a free slug,
// so two concurrent creates of the same name get "x" and "x-2" instead of clashing.
MERGE (c:Sequence {name: 'actor-id'})
ON CREATE SET c.value = 0
SET c.value = c.value + 1
RETURN c.value AS value
