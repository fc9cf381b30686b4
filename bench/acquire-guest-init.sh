#!/bin/busybox sh
# /init of the bench/acquire-guest.sh initramfs (busybox only).  Mounts the
# host's output folder over 9p, starts a few long-lived processes (like the
# harness's, but niced so the acquisition is not starved), then runs
# mmushell-acquire on /proc/kcore in each format.  After each run it prints
# ACQ-DONE and waits for the host to take QEMU's own dump (the host creates
# /out/go-FORMAT when it is done); likewise before each run (ACQ-PRE).
/bin/busybox mkdir -p /proc /sys /dev /tmp /out /etc /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo "ACQ-BOOT $(uname -r) $(uname -m)"
echo 0 > /proc/sys/kernel/kptr_restrict
for m in $(cat /modules/order); do insmod /modules/$m.ko || echo "ACQ-FAIL insmod $m"; done
# msize: 9p's default (8 KiB) makes writing the dumps far slower under TCG.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 out /out || { echo "ACQ-FAIL mount"; poweroff -f; }
FORMATS=$(cat /formats)

# --- processes: memory holders that then sleep, and niced busy loops ----------
sh -c 'x=$(head -c 8388608 /dev/zero | tr "\0" a); touch /tmp/r8; while :; do sleep 1; done' &
sh -c 'x=$(head -c 2097152 /dev/zero | tr "\0" c); touch /tmp/r2; while :; do sleep 1; done' &
while [ ! -e /tmp/r8 ] || [ ! -e /tmp/r2 ]; do sleep 1; done
sh -c 'while :; do :; done' &
renice -n 19 -p $! >/dev/null
awk 'BEGIN { while (1) { a[i++ % 100000] = i } }' &
renice -n 19 -p $! >/dev/null
sh -c 'i=0; while :; do echo $i > /tmp/counter; i=$((i+1)); sleep 1; done' &
md5sum /dev/zero > /dev/null &
renice -n 19 -p $! >/dev/null
sleep 2

# --- facts ------------------------------------------------------------------
cat /proc/iomem > /out/iomem.txt
cat /proc/cpuinfo > /out/cpuinfo.txt
grep -E ' (_text|_etext|_end|idt_table|init_top_pgt|init_task|jiffies|linux_banner|empty_zero_page|swapper_pg_dir)$' /proc/kallsyms > /out/kallsyms.txt
ps > /out/ps.txt
ls -l /proc/kcore /dev/mem /dev/crash > /out/sources.txt 2>&1
sync

# --- the spec's error clauses, in a real kernel ------------------------------
# without root (nobody), without any source, and under /proc, /dev and /sys
# (busybox's setpriv cannot change the user: su to nobody)
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' > /etc/passwd
echo 'nogroup:x:65534:' > /etc/group
su -s /bin/sh nobody -c '/mmushell-acquire -o /tmp/nobody' > /out/err-noroot.txt 2>&1
echo "rc=$?" >> /out/err-noroot.txt
/mmushell-acquire -o /tmp/x --source crash > /out/err-crash.txt 2>&1
echo "rc=$?" >> /out/err-crash.txt
# /dev/mem on a 16 MiB map (the dump goes to tmpfs, in the guest's RAM): a
# CONFIG_STRICT_DEVMEM kernel refuses RAM above 1 MiB, reads zeros below
# (x86: the first RAM range, below 1 MiB, then 15 MiB of the next; elsewhere the first 16 MiB of RAM)
grep -E '^[0-9a-f]+-[0-9a-f]+ : System RAM' /proc/iomem | head -2 | while IFS='- ' read -r s e _; do
	s=$((0x$s)); e=$((0x$e))
	[ $s -ge 1048576 ] && e=$(( (s | 0xffffff) < e ? (s | 0xffffff) : e ))
	printf '%08x-%08x : System RAM\n' $s $e
	[ $s -ge 1048576 ] && break
done > /tmp/iomem16
/mmushell-acquire -o /tmp/devmem --source mem --iomem /tmp/iomem16 > /out/err-devmem.txt 2>&1
echo "rc=$?" >> /out/err-devmem.txt
grep -E 'unreadable|total' /tmp/devmem/acquire.log 2>/dev/null | tail -5 >> /out/err-devmem.txt
rm -rf /tmp/devmem
# no usable source: /proc/kcore hidden under /dev/null, no /dev/crash, and a
# strict /dev/mem (reads below 1 MiB only) must not be taken
mount --bind /dev/null /proc/kcore
/mmushell-acquire -o /tmp/nosource > /out/err-nosource.txt 2>&1
echo "rc=$? exists=$([ -e /tmp/nosource ] && echo yes || echo no)" >> /out/err-nosource.txt
umount /proc/kcore
for d in /proc/acq /dev/acq /sys/acq; do
	/mmushell-acquire -o $d >> /out/err-paths.txt 2>&1
	echo "rc=$? exists=$([ -e $d ] && echo yes || echo no)" >> /out/err-paths.txt
done
sync
echo "ACQ-READY"

# --- the acquisitions ---------------------------------------------------------
# The first one keeps standard error on the serial console (a terminal) to show
# the progress line there; the others write it to a file.
first=1
for f in $FORMATS; do
	# QEMU dumps the machine just before and just after: a page equal in both
	# did not change during the acquisition, so the acquired copy must match it.
	echo "ACQ-PRE $f"
	while [ ! -e /out/pre-go-$f ]; do sleep 1; done
	t0=$(date +%s)
	if [ $first = 1 ]; then
		/mmushell-acquire -o /out/acq-$f --format $f > /out/acq-$f.stdout
	else
		/mmushell-acquire -o /out/acq-$f --format $f > /out/acq-$f.stdout 2> /out/acq-$f.stderr
	fi
	rc=$?
	first=0
	sync
	echo "ACQ-DONE $f rc=$rc seconds=$(( $(date +%s) - t0 ))"
	while [ ! -e /out/go-$f ]; do sleep 1; done
done
echo "ACQ-ALLDONE"
while :; do sleep 10; done
