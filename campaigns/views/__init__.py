"""Pages of campaigns: public, participants' and staff's, one module per audience."""
