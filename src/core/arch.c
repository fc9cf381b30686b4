#include "autoconfig.h"

#include "arch.h"

#include <stdio.h>
#include <string.h>

const struct arch_ops *arch_find(const char *name)
{
	for (size_t i = 0; i < arch_registry_len; i++)
		if (!strcasecmp_ascii(arch_registry[i]->name, name))
			return arch_registry[i];
	return NULL;
}

int arch_find_mode(const struct arch_ops *a, const char *name)
{
	for (size_t i = 0; i < a->nmodes; i++)
		if (!strcasecmp_ascii(a->modes[i].name, name))
			return (int)i;
	return -1;
}

static void append(char *buf, size_t len, size_t *at, const char *s)
{
	int n = snprintf(buf + *at, len - *at, "%s%s", *at ? ", " : "", s);
	if (n > 0 && (size_t)n < len - *at)
		*at += (size_t)n;
}

const char *arch_list_names(char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < arch_registry_len; i++)
		append(buf, len, &at, arch_registry[i]->name);
	return buf;
}

const char *arch_list_modes(const struct arch_ops *a, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < a->nmodes; i++)
		append(buf, len, &at, a->modes[i].name);
	return buf;
}
