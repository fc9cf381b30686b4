#include "autoconfig.h"

#include "term.h"
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

void (*ui_crash_hook)(void);

static SCREEN *screen;
static FILE *hl_out, *hl_in;
static volatile sig_atomic_t is_open;
static bool headless_mode;
static bool has_alt_screen;
static struct termios saved_tio;
static bool have_tio;
static int sig_pipe[2] = {-1, -1};
static int err_pipe[2] = {-1, -1};   /* stderr while the explorer holds the terminal */
static int saved_stderr = -1;
/* Sequences that leave the alternate screen etc., written by the crash handler. */
static char reset_seq[256];
static size_t reset_len;

static const int forwarded[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* Pipe full: a signal is already pending, nothing lost that matters. */
	}
	errno = saved;
}

static struct sigaction saved_fwd[ARRAY_LEN(forwarded)], saved_crash[ARRAY_LEN(crashes)];

/*
 * Several threads can fault at once (a dump file cut short is read by the
 * scan and the screen together): the first restores the terminal and puts
 * back the handlers from before the explorer (physmem's explains a SIGBUS in
 * a dump file); the others wait for that.  Then a fault returns to run its
 * access again under those, and a signal that was sent (kill) ends the
 * process as it would have without the explorer.
 */
static void on_crash(int sig, siginfo_t *si, void *ctx)
{
	static atomic_flag first = ATOMIC_FLAG_INIT;
	static atomic_int done;
	(void)ctx;
	if (!atomic_flag_test_and_set(&first)) {
		if (is_open && !headless_mode) {
			if (reset_len && write(STDOUT_FILENO, reset_seq, reset_len) < 0) {
				/* Nothing more can be done from here. */
			}
			if (have_tio)
				tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
			if (saved_stderr >= 0)
				dup2(saved_stderr, STDERR_FILENO);
		}
		if (ui_crash_hook)
			ui_crash_hook();
		for (size_t i = 0; i < ARRAY_LEN(crashes); i++)
			sigaction(crashes[i], &saved_crash[i], NULL);
		atomic_store(&done, 1);
	}
	while (!atomic_load(&done)) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	if (si->si_code <= 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static void add_cap(const char *name)
{
	char *s = tigetstr(name);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (reset_len + n < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

/* Installs ours, or puts back whatever was there before (main's demo clean-up, say). */
static void set_handlers(bool on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < ARRAY_LEN(forwarded); i++) {
		if (on)
			sigaction(forwarded[i], &sa, &saved_fwd[i]);
		else
			sigaction(forwarded[i], &saved_fwd[i], NULL);
	}
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_crash;
	for (size_t i = 0; i < ARRAY_LEN(crashes); i++) {
		if (on)
			sigaction(crashes[i], &sa, &saved_crash[i]);
		else
			sigaction(crashes[i], &saved_crash[i], NULL);
	}
}

static void close_at_exit(void)
{
	term_close();
}

static int open_pipe(struct err *e)
{
	if (sig_pipe[0] >= 0)
		return 0;
	if (pipe(sig_pipe))
		return err_set(e, "cannot create a pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
	}
	return 0;
}

/*
 * While the explorer owns the screen, whatever is written to stderr
 * (--debug diagnostics) goes through a pipe into the log pane instead of
 * over the panes.
 */
static void capture_stderr(void)
{
	if (pipe(err_pipe))
		return;
	for (int i = 0; i < 2; i++)
		fcntl(err_pipe[i], F_SETFD, FD_CLOEXEC);
	fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr < 0 || dup2(err_pipe[1], STDERR_FILENO) < 0) {
		close(err_pipe[0]);
		close(err_pipe[1]);
		err_pipe[0] = err_pipe[1] = -1;
		if (saved_stderr >= 0)
			close(saved_stderr);
		saved_stderr = -1;
	}
}

static void release_stderr(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(err_pipe[0]);
	close(err_pipe[1]);
	saved_stderr = err_pipe[0] = err_pipe[1] = -1;
}

int term_stderr_fd(void)
{
	return err_pipe[0];
}

static void setup_screen(void)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
}

/*
 * The explorer moves the cursor to draw its panes: a terminal without
 * cursor addressing (TERM=dumb, a printing terminal) would get garbage.
 * Asked of terminfo alone (no screen), before ncurses writes anything.
 */
int term_check(struct err *e)
{
	const char *t = getenv("TERM");
	const char *name = t && *t ? t : "unset";
	int found = 0;
	bool can_move = false;
	if (setupterm(NULL, STDOUT_FILENO, &found) == OK) {
		char *cup = tigetstr("cup");
		can_move = cup && cup != (char *)-1 && *cup;
		del_curterm(cur_term);
	}
	if (found != 1)
		return err_set(e, "cannot use the terminal (TERM=%s): no terminfo entry? Set TERM to your terminal's "
				  "(xterm, vt100...), or use --batch to run commands without the explorer", name);
	if (!can_move)
		return err_set(e, "this terminal (TERM=%s) cannot move the cursor, which the explorer needs: use one "
				  "that can (xterm, vt100...), or --batch to run commands without the explorer", name);
	return 0;
}

int term_open(bool headless, int rows, int cols, struct err *e)
{
	static bool registered;
	if (is_open)
		return 0;
	if (open_pipe(e))
		return -1;
	/* Character handling only: numbers keep their C format everywhere. */
	setlocale(LC_CTYPE, "");
	headless_mode = headless;
	if (headless) {
		const char *t = getenv("TERM");
		hl_out = fopen("/dev/null", "w");
		hl_in = fopen("/dev/null", "r");
		if (!hl_out || !hl_in)
			return err_set(e, "cannot open /dev/null: %s", strerror(errno));
		/* An unknown TERM must not break scripted runs: fall back to vt100. */
		screen = t && *t ? newterm(t, hl_out, hl_in) : NULL;
		if (!screen)
			screen = newterm("vt100", hl_out, hl_in);
		if (!screen)
			return err_set(e, "cannot start ncurses on a virtual screen (no terminfo for vt100?)");
		setup_screen();
		resizeterm(rows, cols);
	} else {
		/* The caller asked term_check first (main, through ui_check_terminal). */
		have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
		set_handlers(true);
		screen = newterm(NULL, stdout, stdin);
		if (!screen) {
			set_handlers(false);
			const char *t = getenv("TERM");
			return err_set(e, "cannot use the terminal (TERM=%s): no terminfo entry?", t ? t : "unset");
		}
		setup_screen();
		reset_len = 0;
		add_cap("sgr0");
		add_cap("cnorm");
		add_cap("rmkx");
		add_cap("rmcup");
		char *rmcup = tigetstr("rmcup");
		has_alt_screen = rmcup && rmcup != (char *)-1 && *rmcup;
	}
	if (!headless)
		capture_stderr();
	is_open = 1;
	if (!registered) {
		atexit(close_at_exit);
		registered = true;
	}
	return 0;
}

bool term_is_open(void)
{
	return is_open;
}

void term_close(void)
{
	if (!is_open)
		return;
	is_open = 0;
	if (!headless_mode && !has_alt_screen) {
		/* No alternate screen to leave (vt100): blank ours rather than leave it on the shell. */
		clear();
		refresh();
	}
	endwin();
	if (!headless_mode) {
		fflush(stdout);
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		set_handlers(false);
	}
	release_stderr();
	delscreen(screen);
	screen = NULL;
	if (hl_out)
		fclose(hl_out);
	if (hl_in)
		fclose(hl_in);
	hl_out = hl_in = NULL;
}

int term_signal_fd(void)
{
	return sig_pipe[0];
}

int term_take_signal(void)
{
	unsigned char c;
	return read(sig_pipe[0], &c, 1) == 1 ? c : 0;
}

bool term_size(int *rows, int *cols)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return false;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return true;
}
