import { mount } from 'svelte';
import '../lib/theme.css';
import './form.css';
import SettingsWindow from './SettingsWindow.svelte';

mount(SettingsWindow, { target: document.getElementById('app')! });
