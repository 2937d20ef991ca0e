/* status.c -- store statuses as the service's (see service_int.h). */
#include "service_int.h"

int mail_status_of(int store_status, int not_found, int invalid)
{
	switch (store_status) {
	case STORE_OK:
		return MAIL_OK;
	case STORE_NOTFOUND:
		return not_found;
	case STORE_EXISTS:
		return MAIL_ERR_EXISTS;
	case STORE_NOTEMPTY:
		return MAIL_ERR_NOTEMPTY;
	case STORE_INVALID:
		return invalid;
	case STORE_TOOBIG:
		return MAIL_ERR_TOOBIG;
	case STORE_QUOTA:
		return MAIL_ERR_QUOTA;
	case STORE_DENIED:
		return MAIL_ERR_WELLKNOWN;
	case STORE_BUSY:
		return MAIL_ERR_BUSY;
	case STORE_DISABLED:
		return MAIL_ERR_DISABLED;
	case STORE_FORBIDDEN:
		return MAIL_ERR_DENIED;
	case STORE_CORRUPT:
		return MAIL_ERR_CORRUPT; /* logged with its key; the call changed nothing */
	case STORE_LIMIT:
		return MAIL_ERR_LIMIT;
	default:
		return MAIL_ERR_INTERNAL;
	}
}
