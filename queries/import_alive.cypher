// Is a staged import still staging? (A read: staging lanes other than the lease keeper's take no lock.)
OPTIONAL MATCH (i:Import {id: $id})
RETURN i IS NOT NULL AND i.state = 'staging' AS alive
