"""Communities: residential groups, membership, leaders, households and ward follows."""
